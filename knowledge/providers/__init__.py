"""The provider catalogue: the provider record, its storage, import and export, and the sample.

Caseworkers only: citizens never see a provider record. Never imports bot, dialogs, nlu or reminders.
"""

from knowledge.providers.catalogue import (SAMPLE_CATALOGUE, CatalogueInfo, catalogue_info, load_providers,
                                           load_sample_if_new, replace_catalogue)
from knowledge.providers.errors import CatalogueError, Problem
from knowledge.providers.exporter import provider_dict, to_csv, to_yaml
from knowledge.providers.importer import ParsedCatalogue, parse_catalogue, read_catalogue
from knowledge.providers.models import Base as ProvidersBase
from knowledge.providers.models import CatalogueRow, ProviderRow
from knowledge.providers.record import (ContractStatus, DoegnProfile, MedicalStaff, OfferType, Ownership, Provider,
                                        Region, TargetGroup)

__all__ = [
    "SAMPLE_CATALOGUE", "CatalogueError", "CatalogueInfo", "CatalogueRow", "ContractStatus", "DoegnProfile",
    "MedicalStaff", "OfferType", "Ownership", "ParsedCatalogue", "Problem", "Provider", "ProviderRow",
    "ProvidersBase", "Region", "TargetGroup", "catalogue_info", "load_providers", "load_sample_if_new",
    "parse_catalogue", "provider_dict", "read_catalogue", "replace_catalogue", "to_csv", "to_yaml",
]

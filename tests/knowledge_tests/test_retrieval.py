from __future__ import annotations

from bot.config import Settings
from bot.wiring import build_retriever
from knowledge import load_standard


def test_retrieval_finds_the_entry_for_plain_questions(settings: Settings) -> None:
    standard = load_standard(settings.standard_dir)
    retriever = build_retriever(standard, settings.nlu_data_dir)
    assert retriever.search("klage over afgørelse ankestyrelsen")[0].entry_id == "complaint_decision"
    assert retriever.search("gravid kontrakt")[0].entry_id == "pregnant_contract"
    assert retriever.search("") == []

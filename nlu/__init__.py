"""Danish NLU: Rasa-format training data, the embedded classifier, entities, and a Rasa client."""

from nlu.classifier import IntentClassifier, Prediction, train
from nlu.entities import CPR_MASK, Entity, EntityExtractor, find_cpr, mask_cpr, without_cpr
from nlu.errors import ModelError, NluError, NluUnavailable, TrainingDataError
from nlu.language import detect as detect_language
from nlu.normalize import clean, fold, tokens
from nlu.parser import LocalParser, Parse, Parser, load_local_parser, model_path, train_and_save
from nlu.training_data import Example, TrainingData, load_training_data

__all__ = [
    "CPR_MASK", "Entity", "EntityExtractor", "Example", "IntentClassifier", "LocalParser", "ModelError",
    "NluError", "NluUnavailable", "Parse", "Parser", "Prediction", "TrainingData", "TrainingDataError", "clean", "fold",
    "detect_language", "find_cpr", "load_local_parser", "load_training_data", "mask_cpr", "model_path", "without_cpr",
    "tokens", "train", "train_and_save",
]

"""Danish NLU: Rasa-format training data, the embedded classifier, entities, and a Rasa client."""

from nlu.classifier import IntentClassifier, Prediction, train
from nlu.entities import Entity, EntityExtractor
from nlu.errors import ModelError, NluError, NluUnavailable, TrainingDataError
from nlu.language import detect as detect_language
from nlu.normalize import clean, fold, tokens
from nlu.parser import LocalParser, Parse, Parser, load_local_parser, model_path, train_and_save
from nlu.training_data import Example, TrainingData, load_training_data

__all__ = [
    "Entity", "EntityExtractor", "Example", "IntentClassifier", "LocalParser", "ModelError",
    "NluError", "NluUnavailable", "Parse", "Parser", "Prediction", "TrainingData", "TrainingDataError", "clean", "fold",
    "detect_language", "load_local_parser", "load_training_data", "model_path",
    "tokens", "train", "train_and_save",
]

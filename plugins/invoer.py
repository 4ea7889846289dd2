"""NLU component: marks messages that are no readable question (empty, huge, no words).

It runs last in the pipeline and overrides the classifier only for those messages,
so they get a clear Dutch explanation instead of a guess.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import invoer

INTENT_NAME = "ongeldige_invoer"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InvoerControle(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> InvoerControle:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if invoer.probleem(message.get(TEXT)):
                intent = {"name": INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

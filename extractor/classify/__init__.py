"""Trained classifiers: the line-role model, its one featurizer, training and loading.

``features`` is imported by training and inference alike; ``train`` rebuilds
``models/`` from ``annotations/`` (``make train``); ``model`` loads an artefact
lazily, refusing one built with another scikit-learn.
"""

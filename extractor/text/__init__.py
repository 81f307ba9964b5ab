"""Text stage: normalization with offset maps, and sentence/word segmentation."""

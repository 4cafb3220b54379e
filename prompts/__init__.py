"""Versioned prompt files, shipped inside the wheel as ``minerals_summ.prompts``."""

"""Turns the federation's stories into a checked, searchable static site."""

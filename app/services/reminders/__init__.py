"""The amiable phase run by itself (issue 17): scenarios, the day's plan, sending, proof."""

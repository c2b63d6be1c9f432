"""Analytics validation harness: generated scenarios with planted rings, brokers and hubs."""

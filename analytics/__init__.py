"""Analytics: projections out of Neo4j, communities, centrality, scores, write-back."""

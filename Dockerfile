# The linkgraph service image (API and scheduler); see docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY core ./core
COPY linkgraph ./linkgraph
COPY normalise ./normalise
COPY graph_schema ./graph_schema
COPY ingest ./ingest
COPY analytics ./analytics
COPY queries ./queries
COPY api ./api
COPY reports ./reports
COPY watchlist ./watchlist
COPY scheduler ./scheduler
RUN pip install --no-cache-dir . && useradd --uid 10001 linkgraph \
    && mkdir -p /app/data /app/reports && chown linkgraph /app/data /app/reports
USER linkgraph

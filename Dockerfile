# The linkgraph service image (API and scheduler); see docker-compose.yml.

# The explorer: its pinned npm packages bundled by esbuild (docs/explorer.md).
FROM node:20-slim AS explorer
WORKDIR /explorer
COPY explorer/package.json explorer/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY explorer/index.html explorer/build.mjs ./
COPY explorer/src ./src
RUN node build.mjs

# GraphiQL for /graphql in a browser: its pinned npm packages, served as they are.
FROM node:20-slim AS graphiql
WORKDIR /graphiql
COPY api/graphiql/package.json api/graphiql/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

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
COPY resolution ./resolution
COPY api ./api
COPY reports ./reports
COPY watchlist ./watchlist
COPY scheduler ./scheduler
COPY --from=explorer /explorer/dist ./explorer/dist
ENV LINKGRAPH_API_EXPLORER_DIR=/app/explorer/dist
COPY --from=graphiql /graphiql/node_modules ./api/graphiql/node_modules
ENV LINKGRAPH_API_GRAPHIQL_DIR=/app/api/graphiql
RUN pip install --no-cache-dir . && useradd --uid 10001 linkgraph \
    && mkdir -p /app/data /app/reports && chown linkgraph /app/data /app/reports
USER linkgraph

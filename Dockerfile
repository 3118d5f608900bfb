# news-graph service image. Build: docker build -t news-graph .
# Run against PostgreSQL: docker run -p 4000:4000 -e DATABASE_URL=postgres://… news-graph
# Migrations, once per release before instances roll out: docker run --rm -e DATABASE_URL=… news-graph npm run db:migrate

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The postinstall step (patch-package) applies these to node_modules.
COPY patches ./patches
# tsx runs the TypeScript sources and is a runtime dependency, so the dev tools can stay out.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    NEWS_GRAPH_DATA_DIR=/var/lib/news-graph
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY data ./data
COPY drizzle ./drizzle
# Only the embedded PGlite database (no DATABASE_URL) writes here: mount a volume to keep it, one container per volume.
RUN mkdir -p /var/lib/news-graph && chown node:node /var/lib/news-graph
USER node
EXPOSE 4000
# One process (no tsx wrapper in between), so SIGTERM reaches the server's graceful shutdown directly.
CMD ["node", "--import", "tsx", "src/main.ts"]

# Minka for deployment: `docker compose up` (compose.yaml) runs it with PostgreSQL.
# Two stages: the first installs the production dependencies (compiling native modules if no
# prebuilt binary fits) and generates the Prisma clients; the second only copies the result,
# without compilers, and runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Native modules (better-sqlite3, argon2) fall back to compiling when no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
# The lockfile and what `postinstall` (prisma generate, through prisma.config.ts) reads, before the source: a source
# change does not reinstall dependencies.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
COPY app/db ./app/db
# tsx (runs the TypeScript) and prisma (migrations at start) are runtime dependencies, so
# --omit=dev keeps everything `npm start` needs and leaves the test tools out.
RUN npm ci --omit=dev && npm cache clean --force
COPY . .

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/app/data/minka.db \
    ATTACHMENTS_DIR=/app/data/attachments \
    BACKUP_DIR=/app/data/backups
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# Code is owned by root and read-only to the service; only data/ is writable by it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `npm start` without npm: signals (SIGTERM from `docker stop`) reach Minka directly, which
# finishes the messages in hand and stops.
CMD ["node", "--import", "tsx", "app/main.ts"]

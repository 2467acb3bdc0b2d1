# syntax=docker/dockerfile:1

# ---- build: compile the TypeScript and the web app, then keep only the production dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Compilers, only in case a native module (argon2, better-sqlite3) has no prebuilt binary here.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web app, built into dist/web by the same npm run build.
COPY web ./web
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

# ---- runtime: compiled code and production dependencies, run as an unprivileged user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Where the embedded SQLite store writes when no database is configured.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/main.js"]

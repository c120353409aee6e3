# One image for the web app and the workers (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx prisma generate && NODE_ENV=production npx next build
ENV NODE_ENV=production PORT=3000
EXPOSE 3000 2525
CMD ["sh", "-c", "npx tsx scripts/migrate.ts && npx tsx src/server/main.ts"]

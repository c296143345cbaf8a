# The QTickets mock API, built from this repository (see docker/compose.yml).
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
ENV MOCK_HOST=0.0.0.0 MOCK_PORT=8080
EXPOSE 8080
CMD ["npm", "run", "mock"]

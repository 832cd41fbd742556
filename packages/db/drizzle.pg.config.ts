// drizzle-kit for the PostgreSQL mirror (docs/decisions/027): `pnpm generate:pg --name <name>`.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/pg/schema/index.ts',
  out: './migrations-pg',
  casing: 'snake_case',
});

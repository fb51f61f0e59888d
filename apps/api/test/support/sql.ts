import { Client } from 'pg';

/** Runs one statement on a fresh connection (e.g. as the owner, to count rows behind the API's back). */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function count(url: string, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const [row] = await sql<{ n: string }>(url, `SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
  return Number(row.n);
}

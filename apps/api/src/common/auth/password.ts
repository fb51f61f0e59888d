import * as argon2 from 'argon2';

/** argon2id with OWASP's recommended minimum cost (19 MiB, t=2). */
export const PASSWORD_HASH_OPTIONS: argon2.HashOptions = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Hashes a password for storage. Shared by login (auth), user administration (users) and the demo seed,
 * so it lives in common/ rather than making users and auth import each other.
 */
export const hashPassword = (password: string) => argon2.hash(password, PASSWORD_HASH_OPTIONS);

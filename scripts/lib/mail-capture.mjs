// A local SMTP server for development: `npm start` points the API at it when SMTP_URL is unset, so
// alert e-mails are really sent over SMTP and land as .eml files in .kept/mail (newest last).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export async function startMailCapture({ dir, port, log = () => {} }) {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        n += 1;
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        const subject = /^Subject: (.*)$/im.exec(raw.toString('utf8'))?.[1] ?? '';
        writeFileSync(path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${n}.eml`), raw);
        log(`mail to ${to}: ${subject}`);
        callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise((r) => server.close(r)) };
}

// A minimal backend endpoint using verify-proof-token.mjs: POST /session with
// `Authorization: Bearer <token>` answers 200 with who was verified, or 401.
//   ISSUER=http://127.0.0.1:3000 AUDIENCE=local-backend PORT=4000 node docs/backend/server.mjs
// (`npm start` prints that ISSUER/AUDIENCE line; the token must come from 127.0.0.1:3000 too,
// since `iss` is the origin the check was sent to and localhost is another one).
import { createServer } from 'node:http';
import { proofTokenVerifier } from './verify-proof-token.mjs';

const verifyProofToken = proofTokenVerifier({ issuer: process.env.ISSUER, audience: process.env.AUDIENCE });

const server = createServer(async (req, res) => {
  const send = (status, body) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (req.method !== 'POST' || req.url !== '/session') return send(404, { ok: false });
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token) return send(401, { ok: false, error: 'missing_token' });
  try {
    const claims = await verifyProofToken(token);
    // Here: find or create the account keyed on claims.sub, then open your own session.
    send(200, { ok: true, sub: claims.sub, phone_number: claims.phone_number, email: claims.email });
  } catch (error) {
    // Log why (jose's error code, and the claim that failed), never the token itself.
    const reason = { error: error.code ?? 'invalid_token', claim: error.claim };
    console.log(JSON.stringify({ refused: reason }));
    send(401, { ok: false, ...reason });
  }
});

server.listen(Number(process.env.PORT ?? 4000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});

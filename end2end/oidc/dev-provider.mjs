// Development OpenID Connect provider for Meet (npm `oidc-provider`). NOT for production: keys,
// cookies and storage are throw-away, and any password is accepted.
//
// - Listens on loopback only: http://127.0.0.1:$DEV_OIDC_PORT (default 8090); that is the issuer.
// - Client `meet-dev` / `meet-dev-secret`: client_secret_basic, userinfo as JSON.
// - Client `meet-dev-jwt` / `meet-dev-jwt-secret`: client_secret_post, userinfo as a signed JWT
//   (application/jwt), as ProConnect does.
// - Both accept Meet's callback on any loopback port (`application_type: native`, RFC 8252), and
//   at $MEET_PUBLIC_URL when it is set to something else.
// - PKCE (S256) is required. The login page takes any user name: it becomes the `sub`. Known
//   users have fixed names and emails; others get `<name>@example.test`.
// - Scopes as ProConnect names them: `openid email given_name usual_name` (and `profile`).
// oidc-provider warns, rightly, that this setup is for development only (in-memory storage,
// throw-away keys, built-in login pages, Node 20); that is the point of it, so keep quiet.
const warn = console.warn;
console.warn = (...args) => {
  if (!String(args[0]).includes('oidc-provider WARNING')) warn(...args);
};
const { default: Provider, interactionPolicy } = await import('oidc-provider');

const port = Number(process.env.DEV_OIDC_PORT ?? 8090);
const issuer = `http://127.0.0.1:${port}`;
const publicUrl = (process.env.MEET_PUBLIC_URL ?? '').replace(/\/+$/, '');

const callbacks = ['http://127.0.0.1/api/v1.0/callback/', 'http://localhost/api/v1.0/callback/'];
const logoutCallbacks = callbacks.map((uri) => uri.replace('/callback/', '/logout-callback/'));
if (publicUrl && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(`${publicUrl}/`)) {
  callbacks.push(`${publicUrl}/api/v1.0/callback/`);
  logoutCallbacks.push(`${publicUrl}/api/v1.0/logout-callback/`);
}

// Known users. `alice.new` shares Alice's email (in other capitals) under another `sub`, to try
// the email fallback.
const USERS = {
  alice: { given_name: 'Alice', usual_name: 'Martin', email: 'alice@example.test' },
  bob: { given_name: 'Bob', usual_name: 'Durand', email: 'bob@example.test' },
  'alice.new': { given_name: 'Alice', usual_name: 'Martin-Lefèvre', email: 'Alice@Example.TEST' },
};

function profile(login) {
  const known = USERS[login];
  if (known) return known;
  const given = login.charAt(0).toUpperCase() + login.slice(1);
  return { given_name: given, usual_name: 'Tester', email: `${login}@example.test` };
}

const client = {
  application_type: 'native',
  redirect_uris: callbacks,
  post_logout_redirect_uris: logoutCallbacks,
  grant_types: ['authorization_code'],
  response_types: ['code'],
};

// Native clients get a consent page at every login by default (their redirect URIs could be
// claimed by another app); Meet is first-party here, so skip it.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  interactions: { policy },
  clients: [
    {
      ...client,
      client_id: 'meet-dev',
      client_secret: 'meet-dev-secret',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...client,
      client_id: 'meet-dev-jwt',
      client_secret: 'meet-dev-jwt-secret',
      token_endpoint_auth_method: 'client_secret_post',
      userinfo_signed_response_alg: 'RS256',
    },
  ],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  scopes: ['openid', 'email', 'given_name', 'usual_name', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  cookies: { keys: ['meet-dev-provider-cookie-key'] },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Session: 86400, Interaction: 600, Grant: 86400 },
  async findAccount(_ctx, id) {
    const user = profile(id);
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: true,
          given_name: user.given_name,
          usual_name: user.usual_name,
          family_name: user.usual_name,
          name: `${user.given_name} ${user.usual_name}`,
          preferred_username: id,
        };
      },
    };
  },
  // First-party clients: no consent page.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email given_name usual_name profile');
    await grant.save();
    return grant;
  },
});

// Say why a request failed (oidc-provider only answers "oops! something went wrong").
provider.on('server_error', (_ctx, error) => console.error('dev provider: server error:', error));

provider.listen(port, '127.0.0.1', () => {
  console.log(`dev OIDC provider: ${issuer}/.well-known/openid-configuration`);
});

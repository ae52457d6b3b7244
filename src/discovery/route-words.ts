import { singularize } from './singular.js';

/**
 * Words that name routes rather than objects: resources, actions, views and well-known
 * endpoints. A segment in this list stays literal even when its siblings become a parameter
 * (`/users/me`, `/users/search` beside `/users/{userName}`), and a position whose values are
 * mostly such words is a list of routes, not of values. Matched case-insensitively, singular
 * or plural. Deliberately not a full dictionary: user names and slugs are often real words, and
 * only cardinality can tell those apart.
 */
const WORDS = `
me self mine my current all any none new edit create update delete remove destroy add save copy clone move
search find query lookup filter list count total summary stats statistic overview details detail info about
settings setting profile preferences preference config configuration options option status health healthz ready
readyz live livez ping version metrics monitor diagnostics debug test
login logout signin signout signup register auth oauth oauth2 oidc sso saml token refresh verify verification
confirm confirmation reset password forgot callback authorize authorization consent session jwks userinfo mfa otp
admin api apis public private internal external static assets asset images image img css js fonts media docs doc
openapi swagger graphql rest rpc v webhook hook event notification subscription subscribe unsubscribe
export import upload download batch bulk sync async stream feed timeline activity history archive archived
recent popular trending latest featured top random default first last next previous prev today upcoming
pending active inactive deleted open closed published draft available enabled disabled approved rejected
favorite like follower following friend member user account order item product customer invoice payment cart
checkout billing plan team group role permission project task comment post article page category tag file
document report log audit analytics dashboard home index main root bookmark inbox outbox sent trash spam message
thread conversation chat contact address organization org workspace tenant company department employee vendor
supplier shipment delivery return refund coupon discount price pricing quote catalog inventory stock warehouse
store shop brand review rating question answer faq help support ticket issue bug feature release change
changelog note attachment share invite invitation request response result job queue worker schedule calendar
booking reservation appointment slot device app application client integration plugin extension key secret
credential certificate policy rule alert incident service endpoint resource region zone cluster node instance
server database table record entry field schema type kind template theme layout menu widget module component
location country city state language locale currency timezone unit metric log trace span usage limit quota
balance transaction transfer wallet card bank statement tax fee charge receipt
`;

const SET = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/** Whether `segment` (decoded) is a route word, in singular or plural. */
export function isRouteWord(segment: string): boolean {
  const w = segment.toLowerCase();
  return SET.has(w) || SET.has(singularize(w));
}

/** Route words under which children are usually more routes: `/api/…`, `/admin/…`. */
const NAMESPACES = new Set(['api', 'apis', 'rest', 'rpc', 'public', 'private', 'internal', 'external', 'admin', 'v', 'services', 'service']);
export function isNamespaceWord(segment: string): boolean {
  return NAMESPACES.has(segment.toLowerCase());
}

/**
 * Build provider adapters from validated configuration. The node calls
 * `createProviders` once at start (key files are read through its `readFile`)
 * and hands the entries to `createExternalScoreService`.
 */
import type { KeyObject } from 'node:crypto';
import { createZhimaProvider, ZHIMA_PRODUCT_CODES } from './alipay/zhima';
import { createPayScoreProvider } from './wechatpay/payscore';
import { createBureauProvider } from './bureau/adapter';
import { parseBureauMapping } from './bureau/mapping';
import type { ExternalScoresConfig, KeySource, ProviderConfig } from './config';
import { ExternalScoresConfigError } from './config';
import type { ProviderPublicKeys } from './provenance/verify';
import type { ProviderEntry, ProviderPolicy } from './service';
import { createHttpTransport, type HttpTransport } from './shared/http';
import { parsePrivateKey, parsePublicKey } from './shared/keys';
import type { RandomBytes } from './shared/random';

/** What the node supplies to build providers. */
export interface CreateProvidersDeps {
  /** Reads a key/certificate file named in the configuration (UTF-8 text). */
  readonly readFile: (path: string) => Promise<string>;
  /** HTTP transport; defaults to one over `fetch` when omitted. */
  readonly transport?: HttpTransport;
  /** Used for the default transport (the node passes `globalThis.fetch`). */
  readonly fetch?: typeof fetch;
  readonly now: () => Date;
  readonly random: RandomBytes;
}

async function text(src: KeySource, setting: string, readFile: CreateProvidersDeps['readFile']): Promise<string> {
  if ('pem' in src) return src.pem;
  try {
    return await readFile(src.file);
  } catch (e) {
    throw new ExternalScoresConfigError([`${setting}: cannot read ${src.file} (${e instanceof Error ? e.message : 'error'})`]);
  }
}

function key<T>(parse: (t: string) => T, t: string, setting: string): T {
  try {
    return parse(t);
  } catch (e) {
    throw new ExternalScoresConfigError([`${setting}: not a usable RSA key (${e instanceof Error ? e.message : 'error'})`]);
  }
}

const policyOf = (p: ProviderConfig): ProviderPolicy => ({
  timeoutMs: p.timeoutMs,
  cacheTtlSeconds: p.cacheTtlSeconds,
  retry: p.retry,
  breaker: p.breaker,
});

async function platformKeys(p: Extract<ProviderConfig, { type: 'wechatpay-score' }>, at: string, readFile: CreateProvidersDeps['readFile']) {
  const map = new Map<string, KeyObject>();
  for (const [serial, src] of Object.entries(p.platformKeys)) {
    map.set(serial, key(parsePublicKey, await text(src, `${at}.platformKeys.${serial}`, readFile), `${at}.platformKeys.${serial}`));
  }
  return map;
}

/** Build every configured provider. Throws ExternalScoresConfigError naming the bad setting. */
export async function createProviders(config: ExternalScoresConfig, deps: CreateProvidersDeps): Promise<ProviderEntry[]> {
  const transport = deps.transport ?? createHttpTransport(deps.fetch ?? globalThis.fetch);
  const out: ProviderEntry[] = [];
  for (const [i, p] of config.providers.entries()) {
    const at = `externalScores.providers.${i}`;
    if (p.type === 'zhima') {
      const appPrivateKey = key(parsePrivateKey, await text(p.appPrivateKey, `${at}.appPrivateKey`, deps.readFile), `${at}.appPrivateKey`);
      const alipayPublicKey = key(parsePublicKey, await text(p.alipayPublicKey, `${at}.alipayPublicKey`, deps.readFile), `${at}.alipayPublicKey`);
      const provider = createZhimaProvider(
        {
          name: p.name,
          appId: p.appId,
          product: p.product,
          productCode: p.productCode ?? ZHIMA_PRODUCT_CODES[p.product],
          ...(p.admittanceScore !== undefined ? { admittanceScore: p.admittanceScore } : {}),
          appPrivateKey,
          alipayPublicKey,
          gatewayUrl: p.gatewayUrl,
        },
        { transport, now: deps.now },
      );
      out.push({ provider, policy: policyOf(p) });
    } else if (p.type === 'wechatpay-score') {
      const merchantPrivateKey = key(parsePrivateKey, await text(p.merchantPrivateKey, `${at}.merchantPrivateKey`, deps.readFile), `${at}.merchantPrivateKey`);
      const provider = createPayScoreProvider(
        {
          name: p.name,
          mchid: p.mchid,
          appid: p.appid,
          serviceId: p.serviceId,
          merchantSerialNo: p.merchantSerialNo,
          merchantPrivateKey,
          platformKeys: await platformKeys(p, at, deps.readFile),
          baseUrl: p.baseUrl,
          maxClockSkewSeconds: p.maxClockSkewSeconds,
        },
        { transport, now: deps.now, random: deps.random },
      );
      out.push({ provider, policy: policyOf(p) });
    } else {
      const a = p.auth;
      const auth =
        a.type === 'none'
          ? a
          : a.type === 'header'
            ? { type: 'header' as const, name: a.name, value: (await text(a.value, `${at}.auth.value`, deps.readFile)).trim() }
            : {
                type: 'mtls' as const,
                cert: await text(a.cert, `${at}.auth.cert`, deps.readFile),
                key: await text(a.key, `${at}.auth.key`, deps.readFile),
                ...(a.ca ? { ca: await text(a.ca, `${at}.auth.ca`, deps.readFile) } : {}),
              };
      const mapping = parseBureauMapping({ url: p.url, method: p.method, auth, request: p.request, response: p.response, retrySafe: p.retrySafe });
      out.push({ provider: createBureauProvider(p.name, mapping, { transport, now: deps.now }), policy: policyOf(p) });
    }
  }
  return out;
}

/** Provider public keys by provider name, for `verifyProvenance` (compliance re-verification). */
export async function loadProviderPublicKeys(
  config: ExternalScoresConfig,
  readFile: CreateProvidersDeps['readFile'],
): Promise<Record<string, ProviderPublicKeys>> {
  const out: Record<string, ProviderPublicKeys> = {};
  for (const [i, p] of config.providers.entries()) {
    const at = `externalScores.providers.${i}`;
    if (p.type === 'zhima') {
      out[p.name] = { alipay: [key(parsePublicKey, await text(p.alipayPublicKey, `${at}.alipayPublicKey`, readFile), `${at}.alipayPublicKey`)] };
    } else if (p.type === 'wechatpay-score') {
      out[p.name] = { wechatpay: Object.fromEntries(await platformKeys(p, at, readFile)), wechatpayMaxSkewSeconds: p.maxClockSkewSeconds };
    } else {
      out[p.name] = {};
    }
  }
  return out;
}

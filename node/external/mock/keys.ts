/**
 * Throw-away RSA keys for the local provider mock (demo, `providers test` against the mock, tests):
 * the node's side (Alipay app key, WeChat Pay merchant key) and the providers' side (Alipay key,
 * WeChat Pay platform key). Generated per run; never written to a repository.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** One RSA key pair with PEM exports. */
export interface MockKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  privatePem: string;
  publicPem: string;
}

/** Every key the mock and the node's configuration need. */
export interface MockProviderKeys {
  /** The node's Alipay application key (the mock verifies request signatures with its public half). */
  app: MockKeyPair;
  /** The "Alipay" key the mock signs responses with. */
  alipay: MockKeyPair;
  /** The node's WeChat Pay merchant API key and its certificate serial. */
  merchant: MockKeyPair;
  merchantSerialNo: string;
  /** The "WeChat Pay" key the mock signs responses with, under this public key id. */
  platform: MockKeyPair;
  platformSerial: string;
}

function pair(): MockKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** Generates four fresh 2048-bit RSA key pairs (about 100-300 ms). */
export function generateMockProviderKeys(): MockProviderKeys {
  return {
    app: pair(),
    alipay: pair(),
    merchant: pair(),
    merchantSerialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    platform: pair(),
    platformSerial: 'PUB_KEY_ID_0000000000000000000000MOCK0001',
  };
}

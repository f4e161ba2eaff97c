/** The local external score provider mock (demo and `providers test`); see gateway.ts. */
export {
  createMockGatewayApp,
  mockExternalScoresConfig,
  startMockGateway,
  MOCK_ALIPAY_APP_ID,
  MOCK_WECHAT_APPID,
  MOCK_WECHAT_MCHID,
  MOCK_WECHAT_SERVICE_ID,
  type MockGatewayOptions,
  type RunningMockGateway,
} from './gateway';
export { generateMockProviderKeys, type MockKeyPair, type MockProviderKeys } from './keys';
export type { MockOutcome } from './outcomes';

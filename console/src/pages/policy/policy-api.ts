// The policy desk's calls to /api/v1/admin (privacy-policy versions, consent coverage, re-consent);
// types mirror the OpenAPI document.
import { request } from '../../api';

export interface PolicyVersion {
  version: number;
  effectiveAt: string;
  textHash: string;
  consentText: { lv: string; en: string };
  material: boolean;
  changeSummary: { lv: string; en: string };
}
export interface NewPolicyVersion {
  text: string;
  consentText: { lv: string; en: string };
  changeSummary?: { lv: string; en: string };
  effectiveAt?: string;
  material: boolean;
}
export interface Coverage {
  current?: number;
  versions: Array<PolicyVersion & { activeSubscribers: number }>;
  unknownVersion: number;
}
export interface CoveragePoint {
  day: string;
  byVersion: Record<string, number>;
}
export type ReConsentStatus = 'sending' | 'open' | 'closed';
export interface ReConsentCampaign {
  id: string;
  policyVersion: number;
  status: ReConsentStatus;
  deadline: string;
  startedAt: string;
  author: string;
  reminderAt?: string;
  closedAt?: string;
  progress: { asked: number; confirmed: number; waiting: number; lapsed: number; reminded: number };
}

export const policyApi = {
  versions: () => request<{ items: PolicyVersion[] }>('GET', '/policy-versions').then((r) => r.items),
  register: (v: NewPolicyVersion) => request<PolicyVersion>('POST', '/policy-versions', v),
  setMaterial: (version: number, material: boolean) => request<PolicyVersion>('PATCH', `/policy-versions/${version}`, { material }),
  coverage: () => request<Coverage>('GET', '/consent-coverage'),
  history: (days: number) => request<{ points: CoveragePoint[] }>('GET', `/consent-coverage/history?days=${days}`).then((r) => r.points),
  reConsents: () => request<{ items: ReConsentCampaign[] }>('GET', '/re-consent').then((r) => r.items),
  startReConsent: (policyVersion: number, deadlineDays: number) => request<ReConsentCampaign>('POST', '/re-consent', { policyVersion, deadlineDays }),
  remind: (id: string) => request<ReConsentCampaign>('POST', `/re-consent/${encodeURIComponent(id)}/remind`, {}),
};

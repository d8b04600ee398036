// The payload template the profile benches (sign, build-100k) build for every owner: one template, so that
// their figures stay comparable.
import type { PayloadTemplate } from '../core/profiles/render';

export const BENCH_TEMPLATE: PayloadTemplate = {
  PayloadDisplayName: 'Corporate mail',
  PayloadDescription: 'Exchange account for {{displayName}}',
  Host: 'mail.example.com',
  EmailAddress: '{{email}}',
  UserName: '{{username}}',
  MailNumberOfPastDaysToSync: 14,
  PreventMove: true,
  EnableNotes: false,
};

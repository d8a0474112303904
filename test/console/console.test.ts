// Every console test in Chromium, against one server (with workers) and one console build: the
// suites are declared in the files beside this one and share the harness.
import { adminDay } from './admin-day';
import { campaignReportDay } from './campaign-report';
import { campaignEditor } from './campaign-editor';
import { dpoPeople } from './dpo-people';
import { dpoReConsent } from './dpo-reconsent';
import { dpoRequests } from './dpo-requests';
import { dpoTools } from './dpo-tools';
import { closeConsoleHarness, consoleHarness } from './harness';
import { marketerDay } from './marketer-day';
import { signingIn } from './sign-in';

describe('console in a browser', function () {
  this.timeout(90_000);
  before(async () => {
    await consoleHarness();
  });
  after(closeConsoleHarness);
  signingIn();
  marketerDay();
  adminDay();
  campaignReportDay();
  dpoPeople();
  dpoRequests();
  dpoTools();
  campaignEditor();
  // Last: it registers a policy version and lapses older consents on the shared server.
  dpoReConsent();
});

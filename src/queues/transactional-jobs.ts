// Jobs on the `transactional` queue: one name per kind of mail, payloads carry ids only (the worker
// re-reads the records, so a job for a sign-up that was confirmed or cancelled meanwhile sends nothing).
export const TransactionalJobs = {
  signupConfirm: 'signup-confirm',
  signupAlreadySubscribed: 'signup-already-subscribed',
} as const;

export interface SignupConfirmJob {
  subscriberId: string;
  /** The sign-up request nonce (subscription.pendingRef) the confirmation link is bound to. */
  ref: string;
}

export interface SignupAlreadySubscribedJob {
  subscriberId: string;
}

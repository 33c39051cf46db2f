import { loginMutation, verifyMutation } from '@dumpstation/api-client';
import { useMutation } from '@tanstack/react-query';

/** Asks the API to send a one-time code on Discord. */
export function useRequestCode() {
  return useMutation(loginMutation());
}

/** Exchanges the one-time code (and, with 2FA on, a second factor in X-2FA-Token) for a session. */
export function useVerifyCode() {
  return useMutation(verifyMutation());
}

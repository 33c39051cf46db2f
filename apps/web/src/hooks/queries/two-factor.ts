import {
  disableTwoFactorMutation,
  getMeQueryKey,
  sendConfirmationCodeMutation,
  setupTwoFactorMutation,
  verifyTwoFactorSetupMutation,
} from '@dumpstation/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';

/** Starts TOTP setup: a new secret with its QR code. */
export function useStartTwoFactorSetup() {
  return useMutation(setupTwoFactorMutation());
}

/** Confirms setup with a first code; answers the recovery codes, once. */
export function useConfirmTwoFactorSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    ...verifyTwoFactorSetupMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: getMeQueryKey() }),
  });
}

export function useDisableTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    ...disableTwoFactorMutation(),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: getMeQueryKey() }),
  });
}

/** Sends a fresh one-time code where the user's codes go now, to confirm a sensitive change. */
export function useSendConfirmationCode() {
  return useMutation(sendConfirmationCodeMutation());
}

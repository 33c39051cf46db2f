import { Injectable } from '@nestjs/common';
import { SecretBox } from '../../crypto/secret-box';
import { newAgeKeyPair } from '../../engine/age';
import { BackupsRepository } from './backups.repository';

/**
 * Each tenant's own age key pair, made on first use. Every encrypted dump is also encrypted
 * to it, so the service can verify and restore what it encrypted; the identity is stored
 * encrypted under APP_ENCRYPTION_KEY and never leaves the server.
 */
@Injectable()
export class TenantKeys {
  constructor(
    private readonly repository: BackupsRepository,
    private readonly secrets: SecretBox,
  ) {}

  async recipient(tenantId: string): Promise<string> {
    const tenant = await this.repository.findTenant(tenantId);
    if (tenant?.ageRecipient) return tenant.ageRecipient;
    const pair = await newAgeKeyPair();
    const stored = await this.repository.setTenantKeyIfMissing(
      tenantId,
      this.secrets.encrypt(pair.identity),
      pair.recipient,
    );
    return stored.ageRecipient!;
  }

  async identity(tenantId: string): Promise<string> {
    const tenant = await this.repository.findTenant(tenantId);
    if (!tenant?.ageIdentityEncrypted)
      throw new Error('This tenant has no encryption key: nothing was encrypted for it');
    return this.secrets.decrypt(tenant.ageIdentityEncrypted);
  }
}

import { Module } from '@nestjs/common';
import { ClusterMetrics } from './cluster-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsServer } from './metrics-server';
import { MetricsService } from './metrics.service';
import { ProtectionModule } from '../protection/protection.module';

/** GET /metrics for Prometheus (docs/metrics.md); HttpMetrics' middleware is mounted by app.factory. */
@Module({
  imports: [ProtectionModule],
  controllers: [MetricsController],
  providers: [MetricsRepository, ClusterMetrics, HttpMetrics, MetricsService, MetricsServer],
  exports: [HttpMetrics],
})
export class MetricsModule {}

import { KnepTargetType } from "../knep/spec";
import { KafkaMode, type ComposeProjectSpec } from "./project-spec";

/**
 * Kafka in the project: as asked, or, when not asked, a KRaft broker if the KNEP forwards to
 * Kafka (it needs one) and none otherwise.
 */
export function kafkaModeOf(spec: ComposeProjectSpec): KafkaMode {
  if (spec.kafka !== undefined) return spec.kafka;
  const target = (spec.knep?.service.environment as Record<string, string> | undefined)?.TARGET_TYPE;
  return target === KnepTargetType.Kafka ? KafkaMode.KRaft : KafkaMode.None;
}

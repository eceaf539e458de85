package io.gossipcache.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches unless {@code spring.cache.type} is set: a user (or a test slice, with {@code none}) who names a
 * cache type chose another cache, and gossipcache backs off.
 */
class OnNoOtherCacheTypeCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("gossipcache cache type");
        String type = context.getEnvironment().getProperty("spring.cache.type");
        if (!StringUtils.hasText(type)) {
            return ConditionOutcome.match(message.because("spring.cache.type is not set"));
        }
        return ConditionOutcome.noMatch(message.because("spring.cache.type is '" + type + "'"));
    }
}

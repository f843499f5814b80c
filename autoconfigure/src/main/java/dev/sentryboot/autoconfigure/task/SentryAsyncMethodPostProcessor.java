package dev.sentryboot.autoconfigure.task;

import org.aopalliance.aop.Advice;

import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Adds the {@link SentryAsyncMethodInterceptor} to the proxies Spring creates for
 * {@code @Async} methods, at the end of the chain, so that it runs on the executor's thread.
 * It only joins proxies that Spring's {@link AsyncAnnotationAdvisor} already advises, with that
 * advisor's own pointcut: it never proxies a bean itself. Not {@code Ordered} on purpose: such
 * post-processors run after the ordered ones, Spring's async post-processor among them.
 */
final class SentryAsyncMethodPostProcessor implements BeanPostProcessor {

	private final Advice interceptor;

	SentryAsyncMethodPostProcessor(Advice interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof Advised advised) || advised.isFrozen()) {
			return bean;
		}
		PointcutAdvisor async = null;
		for (Advisor advisor : advised.getAdvisors()) {
			if (advisor.getAdvice() == this.interceptor) {
				return bean;
			}
			if (advisor instanceof AsyncAnnotationAdvisor asyncAdvisor) {
				async = asyncAdvisor;
			}
		}
		if (async != null) {
			advised.addAdvisor(new DefaultPointcutAdvisor(async.getPointcut(), this.interceptor));
		}
		return bean;
	}

}

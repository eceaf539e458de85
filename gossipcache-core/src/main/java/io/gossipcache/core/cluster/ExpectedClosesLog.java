package io.gossipcache.core.cluster;

import org.jgroups.logging.Log;

/**
 * The TCP server's log, with two expected conditions taken down to DEBUG. JGroups logs an ERROR when it cannot send
 * its graceful-close marker on a connection the peer has already closed (the peer crashed, left or was dropped as
 * hung first), and a WARN when a connection's reader finds its stream closed under it (this member closed the
 * connection of a member that left). That is how members leave, not a fault, and an operator reading ERROR and WARN
 * lines should not have to learn to ignore them. Everything else passes through unchanged.
 */
final class ExpectedClosesLog implements Log {

    /** The format JGroups 5.5's TcpConnection logs it with (checked by a test, should an upgrade change it). */
    static final String GRACEFUL_CLOSE_FAILED = "%s: failed sending graceful close to %s: %s";

    /** The format of a connection reader's failure; only a closed stream is expected. */
    static final String READ_FAILED = "%s: failed handling message: %s";
    static final String STREAM_CLOSED = "Stream closed";

    private final Log delegate;

    ExpectedClosesLog(Log delegate) {
        this.delegate = delegate;
    }

    @Override
    public void error(String format, Object... args) {
        if (GRACEFUL_CLOSE_FAILED.equals(format)) {
            delegate.debug(format, args);
        } else {
            delegate.error(format, args);
        }
    }

    @Override public boolean isFatalEnabled() { return delegate.isFatalEnabled(); }
    @Override public boolean isErrorEnabled() { return delegate.isErrorEnabled(); }
    @Override public boolean isWarnEnabled() { return delegate.isWarnEnabled(); }
    @Override public boolean isInfoEnabled() { return delegate.isInfoEnabled(); }
    @Override public boolean isDebugEnabled() { return delegate.isDebugEnabled(); }
    @Override public boolean isTraceEnabled() { return delegate.isTraceEnabled(); }
    @Override public void fatal(String msg) { delegate.fatal(msg); }
    @Override public void fatal(String format, Object... args) { delegate.fatal(format, args); }
    @Override public void fatal(String msg, Throwable throwable) { delegate.fatal(msg, throwable); }
    @Override public void error(String msg) { delegate.error(msg); }
    @Override public void error(String msg, Throwable throwable) { delegate.error(msg, throwable); }
    @Override public void warn(String msg) { delegate.warn(msg); }
    @Override
    public void warn(String format, Object... args) {
        if (READ_FAILED.equals(format) && args.length == 2 && STREAM_CLOSED.equals(args[1])) {
            delegate.debug(format, args);
        } else {
            delegate.warn(format, args);
        }
    }
    @Override public void warn(String msg, Throwable throwable) { delegate.warn(msg, throwable); }
    @Override public void info(String msg) { delegate.info(msg); }
    @Override public void info(String format, Object... args) { delegate.info(format, args); }
    @Override public void debug(String msg) { delegate.debug(msg); }
    @Override public void debug(String format, Object... args) { delegate.debug(format, args); }
    @Override public void debug(String msg, Throwable throwable) { delegate.debug(msg, throwable); }
    @Override public void trace(Object obj) { delegate.trace(obj); }
    @Override public void trace(String msg) { delegate.trace(msg); }
    @Override public void trace(String format, Object... args) { delegate.trace(format, args); }
    @Override public void trace(String msg, Throwable throwable) { delegate.trace(msg, throwable); }
    @Override public void setLevel(String level) { delegate.setLevel(level); }
    @Override public String getLevel() { return delegate.getLevel(); }
}

//! The HTTP server loop: accepts connections up to a cap, and per client address up
//! to a smaller one; gives each a header-read timer (which is also how long an idle
//! keep-alive connection is kept: hyper starts it whenever the connection waits for a
//! request) and a write deadline (an answer the client takes none of for that long
//! is dropped); on shutdown stops accepting and lets requests in flight finish
//! within a grace period.
//!
//! `axum::serve` has none of these knobs: it runs hyper without a timer, so a
//! client that sends half a header, or never reads its answer, holds its connection
//! for ever.

use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use ipnet::IpNet;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Sleep;
use tower::ServiceExt;

use crate::slots::Slots;

/// Limits on connections, as `serve` sets them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// How long a client may take to send a request's headers, and how long an
    /// idle keep-alive connection waits for the next request.
    pub header_read_timeout: Duration,
    /// Connections served at once; further ones wait in the kernel's backlog.
    pub max_connections: usize,
    /// Connections served at once from one client address (IPv6: one /64); further
    /// ones are closed at once, so that one client cannot take the whole cap.
    pub max_connections_per_client: usize,
    /// Peers the per-client cap does not apply to: trusted proxies, which carry
    /// everyone's connections.
    pub exempt: Vec<IpNet>,
    /// How long an answer may wait on a client that takes none of it.
    pub write_timeout: Duration,
    /// How long requests in flight may run after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_connections_per_client: 64,
            exempt: Vec::new(),
            write_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// The per-client key: an IPv4 address, an IPv6 /64 (one subscriber's), an IPv4
/// address mapped into IPv6 as itself.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::from(segments)
            }
        },
    }
}

/// A connection whose writes fail once the client has taken nothing for
/// `timeout`: hyper then drops the connection and whatever answer it was sending
/// (a body stream, an export's permit). Reads pass through untouched: waiting for a
/// request is the header timer's business.
struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    /// Running while a write waits on the client; reset by any progress.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, timeout: Duration) -> Self {
        Self {
            inner,
            timeout,
            stalled: None,
        }
    }

    /// What a write that returned `poll` means, with the deadline applied.
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(result) => {
                self.stalled = None;
                Poll::Ready(result)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let stalled = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                match stalled.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client took none of the answer within the write timeout",
                    ))),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(cx, poll)
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then drains.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_client = Arc::new(Slots::<IpAddr>::default());
    // One warning per client and server run, not one per refused connection (a flood
    // of them would flood the log too); the set is cleared when it grows large.
    let refusals_logged = Mutex::new(std::collections::HashSet::new());
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let key = client_key(peer.ip());
        let slot = if limits.exempt.iter().any(|net| net.contains(&peer.ip())) {
            None
        } else {
            match per_client.try_take(key, limits.max_connections_per_client.max(1)) {
                Some(slot) => Some(slot),
                None => {
                    // Closed unread: the client learns only that it has enough open.
                    drop(stream);
                    let mut logged = refusals_logged
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if logged.len() >= 10_000 {
                        logged.clear();
                    }
                    if logged.insert(key) {
                        tracing::warn!(
                            client = %key,
                            limit = limits.max_connections_per_client,
                            "a client is at its connection limit; further connections are closed"
                        );
                    }
                    continue;
                }
            }
        };
        let stream = WriteDeadline::new(stream, limits.write_timeout);
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    // The peer's address, for the audit log and the per-address throttle.
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request
                });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(slot);
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        seconds = limits.shutdown_grace.as_secs(),
        "no longer accepting; letting requests in flight finish"
    );
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            seconds = limits.shutdown_grace.as_secs(),
            "connections still open after the grace period; exiting anyway"
        );
    }
}

import Hummingbird

/// `GET /healthz`: `{"ok": true}` while the server answers.
struct HealthRoutes {
  func register(on router: Router<TauRequestContext>) {
    router.get("/healthz") { _, _ in try Response.json(OKResponse()) }
  }
}

import Projects

/// Tokens each session has spent, and the budget that refuses further calls once spent
/// (`TAU_LLM_BUDGET_TOKENS`, off by default).
public actor TokenLedger {
  public let budget: Int?
  private var spent: [SessionID: TokenUsage] = [:]

  public init(budget: Int?) { self.budget = budget }

  public func usage(_ session: SessionID) -> TokenUsage { spent[session] ?? TokenUsage() }

  /// Throws when the session's budget is spent.
  public func checkBudget(_ session: SessionID, provider: ProviderID) throws {
    guard let budget else { return }
    let used = usage(session)
    if used.input + used.output >= budget {
      throw ProviderError(
        .budget, provider: provider,
        "this session has spent its budget of \(budget) tokens (TAU_LLM_BUDGET_TOKENS); "
          + "no more calls to a language model are made for it")
    }
  }

  @discardableResult
  public func add(_ usage: TokenUsage, to session: SessionID) -> TokenUsage {
    let total = self.usage(session) + usage
    spent[session] = total
    return total
  }
}

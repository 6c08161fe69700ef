import Assistant
import Testing

@Suite("Provider settings")
struct ProviderSettingsTests {
  @Test("Base URLs, keys and default models come from the vendor SDKs' variables")
  func fromEnvironment() throws {
    let environment = [
      "OPENAI_BASE_URL": "http://127.0.0.1:1/v1/", "OPENAI_API_KEY": "k1",
      "LLM_DEFAULT_MODEL_OPENAI": "gpt-test", "TAU_LLM_BASE_URL": "http://localhost:11434/v1",
    ]
    let openai = try #require(ProviderSettings.from(environment, provider: .openai))
    #expect(openai.baseURL == "http://127.0.0.1:1/v1")
    #expect(openai.apiKey == "k1" && openai.defaultModel == "gpt-test")
    let gemini = try #require(ProviderSettings.from(environment, provider: .gemini))
    #expect(gemini.baseURL == "https://generativelanguage.googleapis.com")
    #expect(gemini.apiKey == nil && gemini.keyVariable == "GEMINI_API_KEY")
    let local = try #require(ProviderSettings.from(environment, provider: .openaiCompatible))
    #expect(local.keyOptional && local.baseURL == "http://localhost:11434/v1")
    let router = try #require(ProviderSettings.from(environment, provider: .openrouter))
    #expect(router.extraHeaders["HTTP-Referer"] != nil)
    #expect(ProviderSettings.from(environment, provider: .manual) == nil)
  }

  @Test("Retries back off, honouring Retry-After up to a ceiling")
  func retryDelays() {
    let policy = RetryPolicy()
    #expect(policy.delay(attempt: 1, retryAfter: nil) == .milliseconds(500))
    #expect(policy.delay(attempt: 3, retryAfter: nil) == .seconds(2))
    #expect(policy.delay(attempt: 1, retryAfter: .seconds(3)) == .seconds(3))
    #expect(policy.delay(attempt: 1, retryAfter: .seconds(600)) == .seconds(20))
  }
}

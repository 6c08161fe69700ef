/// The provider for an id, with its settings.
public enum Providers {
  public static func make(_ id: ProviderID, settings: ProviderSettings) -> (
    any LanguageModelProvider
  )? {
    nil
  }
}

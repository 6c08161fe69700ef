/// tau-sim's own version, printed by `tau --version` and sent in worker hellos.
public enum TauVersion {
  public static let current = "0.2.0-dev"
}

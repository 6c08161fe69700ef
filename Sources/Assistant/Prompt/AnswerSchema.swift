/// The one shape every answer has: `{reply, proposals: [{path, new_content, rationale}]}`,
/// every key required and nothing else allowed (OpenAI's strict mode and Anthropic need
/// both).
enum AnswerSchema {
  static let name = "tau_answer"
  static let schema = JSONSchema(
    json: #"""
      {"type": "object", "additionalProperties": false, "required": ["reply", "proposals"],
       "properties": {
         "reply": {"type": "string"},
         "proposals": {"type": "array", "items": {
           "type": "object", "additionalProperties": false,
           "required": ["path", "new_content", "rationale"],
           "properties": {"path": {"type": "string"}, "new_content": {"type": "string"},
                          "rationale": {"type": "string"}}}}}}
      """#)
  static let format = ResponseFormat.jsonSchema(name: name, schema: schema)
}

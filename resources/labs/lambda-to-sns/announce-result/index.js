// Reads what SNS delivers: an invocation record from ScoreQuiz, or any message published to the topic.
exports.handler = async (event) => {
  for (const record of event.Records) {
    const { Message, Subject } = record.Sns;
    let body;
    try {
      body = JSON.parse(Message);
    } catch {
      body = Message;
    }
    const result = body && body.responsePayload;
    if (result) console.log(`Result: ${result.student} scored ${result.score} of ${result.of}`);
    else console.log(`Message${Subject ? ` (${Subject})` : ''}: ${Message}`);
  }
};

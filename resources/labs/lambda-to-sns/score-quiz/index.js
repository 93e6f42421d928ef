// Counts the right answers.
exports.handler = async (event) => {
  const answers = event.answers ?? [];
  const score = answers.filter(Boolean).length;
  console.log(`${event.student} scored ${score} of ${answers.length}`);
  return { student: event.student, score, of: answers.length };
};

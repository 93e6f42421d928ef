// Logs what S3 reports about each new object. S3 invokes asynchronously, so the return value is not
// sent anywhere; the log is the result.
exports.handler = async (event) => {
  for (const record of event.Records) {
    const { bucket, object } = record.s3;
    // S3 sends the key URL-encoded: a space arrives as +.
    const key = decodeURIComponent(object.key.replace(/\+/g, ' '));
    console.log(`${record.eventName}: s3://${bucket.name}/${key} (${object.size} bytes, eTag ${object.eTag}, key as sent: ${object.key})`);
  }
  return { described: event.Records.length };
};

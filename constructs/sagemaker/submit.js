// costguard asynchronous submit: POST /predict -> S3 input -> InvokeEndpointAsync.
// Answers 202 with the inference id and where the result (or the failure) will appear.
const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
const { SageMakerRuntimeClient, InvokeEndpointAsyncCommand } = require("@aws-sdk/client-sagemaker-runtime");

const s3 = new S3Client({});
const sagemaker = new SageMakerRuntimeClient({});

const reply = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

exports.handler = async (event) => {
  const body = Buffer.from(event.body || "", event.isBase64Encoded ? "base64" : "utf8");
  if (body.length === 0) {
    return reply(400, { error: "request body is empty", field: "instances" });
  }
  const id = event.requestContext.requestId;
  const key = `input/${id}.json`;
  await s3.send(new PutObjectCommand({
    Bucket: process.env.BUCKET, Key: key, Body: body, ContentType: "application/json",
  }));
  const out = await sagemaker.send(new InvokeEndpointAsyncCommand({
    EndpointName: process.env.ENDPOINT_NAME,
    InputLocation: `s3://${process.env.BUCKET}/${key}`,
    ContentType: "application/json",
    Accept: "application/json",
    InferenceId: id,
  }));
  return reply(202, {
    inferenceId: out.InferenceId,
    outputLocation: out.OutputLocation,
    failureLocation: out.FailureLocation,
  });
};

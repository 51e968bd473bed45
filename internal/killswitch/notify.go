package killswitch

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// SNSAPI is the part of the SNS client the notifier uses.
type SNSAPI interface {
	Publish(ctx context.Context, in *sns.PublishInput, opts ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// SNSNotifier publishes to the stage's topic.
type SNSNotifier struct {
	Client   SNSAPI
	TopicARN string
}

// Notify publishes one message.
func (n SNSNotifier) Notify(ctx context.Context, subject, message string) error {
	_, err := n.Client.Publish(ctx, &sns.PublishInput{
		TopicArn: aws.String(n.TopicARN),
		Subject:  aws.String(subject),
		Message:  aws.String(message),
	})
	return err
}

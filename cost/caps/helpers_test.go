package caps

import "github.com/costguard-ml/costguard/cost/workload"

func workloadArch(s string) workload.Architecture { return workload.Architecture(s) }
func workloadDoor(s string) workload.FrontDoor    { return workload.FrontDoor(s) }

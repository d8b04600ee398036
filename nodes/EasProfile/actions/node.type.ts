import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	payload: 'validate';
	profile: 'build' | 'inspect';
};

export type EasProfileType = AllEntities<NodeMap>;

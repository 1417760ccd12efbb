ALTER TABLE `invitations` ADD `batch_id` text;--> statement-breakpoint
CREATE INDEX `invitations_practice_batch_idx` ON `invitations` (`practice_id`,`batch_id`);--> statement-breakpoint
CREATE INDEX `staff_practice_credentials_idx` ON `staff` (`practice_id`,"credentials" collate nocase);
// An exception that Ruby would raise, by class and message, so that the ports of Ruby's date and
// time parsing can say exactly what Ruby says. Jekyll rescues ArgumentError from Time.parse and
// reports an invalid date; a RangeError (a number too large for a C int) stops its build.

export type RubyErrorClass = "ArgumentError" | "RangeError" | "NoMethodError";

export class RubyError extends Error {
  readonly rubyClass: RubyErrorClass;
  constructor(rubyClass: RubyErrorClass, message: string) {
    super(message);
    this.name = "RubyError";
    this.rubyClass = rubyClass;
  }
}
